# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Slicing 2-dim tensor example
y = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
print(y[1:, 1:3])
print(y[:, 0])
print(y[::2, ::2])
