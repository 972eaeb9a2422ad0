# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
first_tensor = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(first_tensor.device)
print(first_tensor.dtype)
print(first_tensor.shape)
print(first_tensor.ndim)
