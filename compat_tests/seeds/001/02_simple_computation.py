# Seed 001 In[3].
import numpy as np
import torch  # PyTorch library
x = torch.tensor(5.0)
y = 3*x**2 + x
print(x, x.grad)
print(y)
