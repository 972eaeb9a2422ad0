# Seed 000 "Element-wise operations: in-place" (Backprop will FAIL!): c needs the value of
# tmp, which zero_ erased. manual_seed added; the backward call (implied by the slide) added.
import torch
torch.manual_seed(0)
a = torch.rand((1,))
b = torch.rand((1,))
c = torch.rand((1,), requires_grad=True)
tmp = a * b
d = tmp * c
# erase the data of tmp
torch.zero_(tmp)
d.backward()
