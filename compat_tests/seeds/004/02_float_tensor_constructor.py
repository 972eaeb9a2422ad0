# Seed 004 In[5]-In[6]: FloatTensor(2, 3) is uninitialised, so its values are not printed
# (size only); zero_() then initialises it.
import torch
t = torch.FloatTensor(2, 3)
print(t.size())
print(t.zero_())
