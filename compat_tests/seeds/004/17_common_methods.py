# Seed 004 In[22]; torch.manual_seed added and each expression printed.
import torch
torch.manual_seed(0)
t = torch.randn(2,3)
print(t.sum(dim=0))
print(t.t())                   # transpose
print(t.numel())               # number of elements in tensor
print(t.nonzero())             # indices of non-zero elements
print(t.view(-1, 2))           # reorganizes the tensor to these dimensions
print(t.squeeze())             # removes size 1 dimensions
print(t.unsqueeze(0))          # inserts a dimension

# operations in the package
print(torch.arange(0, 10))     # tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
print(torch.eye(3, 3))         # creates a 3x3 matrix with 1s in the diagonal (identity in this case)
t = torch.arange(0, 3)
print(torch.cat((t, t)))       # tensor([0, 1, 2, 0, 1, 2])
print(torch.stack((t, t)))     # tensor([[0, 1, 2],
                               #         [0, 1, 2]])
