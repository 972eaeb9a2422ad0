# Seed 002 shows only the first line of this block; reconstructed from its title and output.
# "Creating tensors GPU example": the seed uses the first GPU when there is one.
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
tens_a = torch.tensor([[10, 11, 12, 13], [14, 15, 16, 17]], device=device)
tens_b = torch.tensor([[18, 19, 20, 21], [22, 23, 24, 25]], device=device)
tens_c = tens_a * tens_b
print(tens_c)
