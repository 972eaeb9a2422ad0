# Seed 001 In[10].
import numpy as np
import torch  # PyTorch library
x = torch.arange(5, dtype=torch.float32).requires_grad_(True)
y = torch.sum(x**2)
y.backward()
print(y)
print(x)
print('Grad', x.grad)
