# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Casting a tensor to a new data type (2nd way)
short_tensor = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int16)
float_tensor = short_tensor.to(dtype=torch.float32)
print(float_tensor, float_tensor.dtype)
