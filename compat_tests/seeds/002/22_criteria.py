# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Use indexing to extract the data that meets some criteria
x = torch.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
print(x[x < 5])
print(x[(x > 3) & (x % 2 == 0)])
