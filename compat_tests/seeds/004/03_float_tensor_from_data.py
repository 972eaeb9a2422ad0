# Seed 004 In[7].
import torch
print(torch.FloatTensor([[1, 2, 3], [4, 5, 6]]))
