# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
# initialize a tensor from a list
tensor_from_list = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(tensor_from_list)
