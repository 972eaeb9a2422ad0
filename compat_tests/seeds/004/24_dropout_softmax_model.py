# Seed 004 In[33], applied as In[31]; manual_seed added; eval() output too.
import torch
import torch.nn as nn
torch.manual_seed(0)

class MyCustomModule(nn.Module):
    def __init__(self, n_inputs, n_hidden, n_output_classes):
        super(MyCustomModule, self).__init__()
        self.p_keep = 0.7
        self.network = nn.Sequential(
            nn.Linear(n_inputs, n_hidden),
            nn.ReLU(),
            nn.Linear(n_hidden, 2*n_hidden),
            nn.ReLU(),
            nn.Linear(2*n_hidden, n_output_classes),
            nn.Dropout(1 - self.p_keep),       # dropout argument is probability of dropping
            nn.Softmax(dim=1)                  # applies softmax in the data dimension
        )

    def forward(self, x):
       y = self.network(x)
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
model.eval()
print(model(x))
