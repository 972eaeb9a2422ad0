# Seed 004 In[34].
import torch
import torch.nn.functional as F

y = F.relu(torch.FloatTensor([[-5, -1, 0, 5]]))

print(y)
