# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Splitting 2-dim tensor
x = torch.arange(24).view(4, 6)
print(torch.chunk(x, 2, 0))
print(torch.split(x, [1, 5], 1))
