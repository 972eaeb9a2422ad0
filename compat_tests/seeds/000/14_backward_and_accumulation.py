# Seed 000 "Gradient computation" (final slide); manual_seed and prints added.
import torch
torch.manual_seed(0)
a = torch.rand((1,), requires_grad=True)
b = torch.rand((1,))
c = a * b
# after the call a.grad contains the gradient
c.backward()
print(a.grad)
# let's do something else...
b2 = torch.rand((1, ))
c2 = a * b2
# by default gradient is accumulated,
# so if we want to recompute a gradient,
# we have to erase the previous one manually!
a.grad.zero_()
c2.backward(torch.tensor([2.]))
print(a.grad, b2)
