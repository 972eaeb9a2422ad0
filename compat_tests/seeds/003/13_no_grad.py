# Seed 003 "with torch.no_grad()".
import torch
torch.manual_seed(1)
x = torch.randn(2, 2).requires_grad_()
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
