# Seed 000 "Gradient computation": no gradient is required, so backward fails.
import torch
torch.manual_seed(0)
a = torch.rand((1,))
b = torch.rand((1,))
c = a * b
# after the call a.grad contains the gradient
c.backward()
