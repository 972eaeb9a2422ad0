# Seed 002: torch.empty is uninitialised, so its shape is printed instead of its values.
import torch
tensor_emp = torch.empty(3, 4)
print("tensor_emp :", tensor_emp.shape)
tensor_zeros = torch.zeros(3, 4)
print("tensor_zeros :", tensor_zeros)
tensor_ones = torch.ones(3, 4)
print("tensor_ones :", tensor_ones)
