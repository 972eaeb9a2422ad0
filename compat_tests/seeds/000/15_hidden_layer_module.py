# Seed 000 "Single hidden layer". Completed: the slide's __init__ uses undefined names
# dim_output/dim_input (its arguments are output_dim/input_dim) and forward uses x for inputs;
# both fixed. Parameters are initialised with uniform_ after manual_seed (the slide leaves
# them empty), and the layer is applied to a small batch.
import torch


class HiddenLayer(torch.nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.W = torch.nn.Parameter(
            torch.empty(output_dim, input_dim)
        )
        self.bias = torch.nn.Parameter(
            torch.empty(output_dim, 1)
        )

    def forward(self, inputs):
        z = inputs @ self.W.data.transpose(0, 1) \
            + self.bias.data.transpose(0, 1)
        return torch.relu(z)


torch.manual_seed(0)
layer = HiddenLayer(3, 2)
with torch.no_grad():
    layer.W.uniform_(-1, 1)
    layer.bias.uniform_(-1, 1)
x = torch.tensor([[1., 2., 3.], [-1., 0.5, 0.]])
print(layer(x))
print([name for name, _ in layer.named_parameters()])
