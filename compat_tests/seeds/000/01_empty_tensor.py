# Seed 000 "Creating an uninitialized tensor". torch.empty is uninitialised memory, so we
# print its attributes instead of its values (added).
import torch
t = torch.empty(
    (2, 4, 4),  # shape
    dtype=torch.float,
    device="cpu",
    requires_grad=True
)
print(t.shape, t.dtype, t.device, t.requires_grad, t.is_leaf)
