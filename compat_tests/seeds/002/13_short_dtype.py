# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Short data type tensor
short_tensor = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int16)
print(short_tensor.dtype)
print(short_tensor)
