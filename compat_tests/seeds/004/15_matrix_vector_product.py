# Seed 004 In[19]-In[20]; torch.manual_seed added.
import torch
torch.manual_seed(0)
# Row vector
x = torch.randn(1,3)
print("Row vector {} with size {}".format(x, x.size()))

# Column vector
v = torch.randn(3,1)
print("Column vector {} with size {}".format(v, v.size()))

# Matrix
A = torch.randn(3, 3)
print("Matrix {} with size {}".format(A, A.size()))
u = torch.matmul(A, v)
print(u)
b = torch.randn(3,1)
y = u + b                    # we can also do torch.add(u, b)
print(y)
