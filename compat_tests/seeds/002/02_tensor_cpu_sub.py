# Seed 002 shows only the first line of this block; reconstructed from its title and output.
import torch
first_tens = torch.tensor([[12, 10, 11, 9], [23, 24, 25, 26]])
second_tens = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8]])
sub_tens = first_tens - second_tens
print(sub_tens)
