# Seed 001 In[5] (make_dot dropped). x is not a leaf: reading x.grad warns (stderr).
import numpy as np
import torch  # PyTorch library
x = torch.tensor(1.0, requires_grad=True)
for i in range(3):
    x = x*(x+1)
y = x
print(x, x.grad)
print(y)
