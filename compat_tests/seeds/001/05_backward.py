# Seed 001 In[5]-In[6].
import numpy as np
import torch  # PyTorch library
x = torch.tensor(1.0, requires_grad=True)
for i in range(3):
    x = x*(x+1)
y = x
y.backward()
print(x, x.grad)
print(y)
