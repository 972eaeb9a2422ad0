# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Float data type tensor
float_tensor = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
print(float_tensor.dtype)
