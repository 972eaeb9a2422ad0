# Seed 001 In[4] (make_dot dropped: torchviz); grad_fn chain printed instead.
import numpy as np
import torch  # PyTorch library
x = torch.tensor(5.0, requires_grad=True)
y = 3*x**2 + x+3
y = 3*torch.sin(x) + x+3
print(x, x.grad)
print(y)
print(y.grad_fn.name(), [f[0].name() for f in y.grad_fn.next_functions if f[0] is not None])
