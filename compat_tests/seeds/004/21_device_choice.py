# Seed 004 In[27]-In[28]; manual_seed added.
import torch
torch.manual_seed(0)
t = torch.randn(3, 3)
device = torch.device("cuda:0") if torch.cuda.is_available() else torch.device("cpu")
print(device)
print(t.to(device))   # moves t to the device (this code will **not** fail if the local machine has not access to a GPU)
