# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Slicing 1-dim tensor example
x = torch.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
print(x[1:4])
print(x[:-2])
print(x[::3])
