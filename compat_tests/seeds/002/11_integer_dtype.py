# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Integer data type tensor
int_tensor = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(int_tensor.dtype)
