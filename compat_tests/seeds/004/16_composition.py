# Seed 004 In[19]-In[21]; torch.manual_seed added.
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
s = torch.matmul(x, torch.matmul(A, v))
print(s.item())
