# Seed 000 "Creating tensors from data" (prints added).
import torch
t1 = torch.tensor([0, 1, 2, 3], dtype=torch.long)
t2 = torch.tensor(range(10))
t3 = torch.tensor([[0, 1], [2, 3]])
print(t1, t1.dtype)
print(t2, t2.dtype)
print(t3, t3.shape)
