# Seed 003: "torch.tensor([[1, 2], [3, 4]])" and "dtype=torch.data_type" (prints added).
import torch
print(torch.tensor([[1, 2], [3, 4]]))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.float))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.long).dtype)
