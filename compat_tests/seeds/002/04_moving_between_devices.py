# Seed 002 "Moving Tensors between GPUs and CPUs" (cuda moves guarded: CPU-only here).
import torch
t = torch.tensor([1., 2., 3.], requires_grad=True)
if torch.cuda.is_available():
    t = t.cuda()
print(t.detach().cpu())
print(t.detach().to("cpu").device)
u = torch.tensor([4, 5])
print(u.cpu(), u.to("cpu") is u)
