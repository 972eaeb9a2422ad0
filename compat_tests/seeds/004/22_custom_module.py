# Seed 004 In[29]-In[31]; torch.manual_seed added (default init draws).
import torch
import torch.nn as nn
torch.manual_seed(0)

class MyCustomModule(nn.Module):
    def __init__(self, n_inputs, n_hidden, n_output_classes):
        super(MyCustomModule, self).__init__()         # call super to initialize the class above in the hierarchy
        self.W = nn.Linear(n_inputs, n_hidden)         # first affine transformation
        self.f = nn.ReLU()                             # non-linearity (here it is also a layer!)
        self.U = nn.Linear(n_hidden, n_output_classes) # final affine transformation

    def forward(self, x):
       y = self.U(self.f(self.W(x)))
       return y

# set the network's architectural parameters
n_inputs = 3
n_hidden= 4
n_output_classes = 2

# instantiate the model
model = MyCustomModule(n_inputs, n_hidden, n_output_classes)

# create a simple input tensor
x = torch.FloatTensor([[0.3, 0.8, -0.4]]) # size is [1,3]: a mini-batch of one example, this example having dimension 3

# compute the model output by **applying** the input to the module
y = model(x)

# inspect the output
print(y)
print(model)
