# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Casting a tensor to a new data type (1st way)
float_tensor = torch.tensor([[1.7, -2.2, 3.5], [4., 5.9, 6.1]])
short_tensor = float_tensor.type(torch.short)
print(short_tensor, short_tensor.dtype)
