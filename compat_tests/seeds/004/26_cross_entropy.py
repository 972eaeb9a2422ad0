# Seed 004 In[35] with the model of In[33]; manual_seed added.
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
y_gold = torch.tensor([1])        # the true label (in this case, 2) from our dataset wrapped
                                  # as a tensor of minibatch size of 1
criterion = nn.CrossEntropyLoss() # our simple classification criterion for this simple example

y = model(x)                      # forward pass of our model (remember, using apply instead of forward)

loss = criterion(y, y_gold)       # apply the criterion to get the loss corresponding to the pair (x, y)
                                  # with respect to the real y (y_gold)

print(loss)                       # the loss contains a gradient function that we can use to compute
                                  # the gradient dL/dw (gradient with respect to the parameters for a given fixed input)
