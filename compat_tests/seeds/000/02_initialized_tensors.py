# Seed 000 "Creating an initialized tensor"; torch.manual_seed added so rand is reproducible.
import torch
torch.manual_seed(0)
print(torch.zeros((2, 4, 4), dtype=torch.float, requires_grad=True))
print(torch.ones((2, 4, 4), dtype=torch.float, requires_grad=True))
print(torch.rand((2, 4, 4), dtype=torch.float, requires_grad=True))
