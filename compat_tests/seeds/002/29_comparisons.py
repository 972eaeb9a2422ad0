# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
#@title Comparison functions
x = torch.tensor([[1, 5, 3], [4, 2, 6]])
y = torch.tensor([[1, 2, 3], [3, 2, 1]])
print(torch.eq(x, y), torch.gt(x, y), x <= y, torch.equal(x, x) if hasattr(torch, "equal") else True)
print(torch.sort(x), torch.sort(x, dim=0, descending=True))
print(torch.topk(torch.tensor([1., 9., 3., 7.]), 2), torch.argsort(x))
print(torch.max(x, y), torch.isnan(torch.tensor([1., float("nan")])))
