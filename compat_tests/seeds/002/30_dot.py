# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Compute the dot product (scalar) of two 1d dimensions
x = torch.tensor([1, 2, 3])
y = torch.tensor([4, 5, 6])
print(torch.dot(x, y))
print(torch.dot(x.float(), y.float()))
