# Seed 000 "Element-wise operations: in-place" (This is OK!): tmp's value is not needed.
# manual_seed, the backward call and prints added.
import torch
torch.manual_seed(0)
a = torch.rand((1,), requires_grad=True)
b = torch.rand((1,), requires_grad=True)
c = torch.rand((1,))
tmp = a * b
d = tmp * c
# erase the data of tmp
torch.zero_(tmp)
d.backward()
print(a.grad, b.grad, c)
