"""The Transformer benchmark's architecture in PyTorch (CPU), as train.transformer builds it: token embedding plus
learned positions (context 100), 2 pre-layer-norm blocks of causal 4-head self-attention and a GELU feed-forward layer
(4 x 64), final layer norm, linear + softmax over 4 states; Adam 1e-3, windows of 100 frames, batches of 64.
Generation two ways: recomputing the window of the last 100 frames at every step (no cache; SlowDyn did this before
its cached decoder), and with a key/value cache preallocated per block, over the same window as SlowDyn's (it grows to
the context, then jumps back to the last half context, whose frames are encoded again at their new positions in one
batched pass), checked against the full forward pass before timing. Prints RESULT lines like NeuralBenchmark.java.
  python3 torch_transformer.py THREADS"""
import sys
import time

import torch

from torch_chain import chain

threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(1)
STATES, WIDTH, HEADS, BLOCKS, CONTEXT = 4, 64, 4, 2, 100


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = torch.nn.Embedding(STATES, WIDTH)
        self.positions = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.1)
        layer = torch.nn.TransformerEncoderLayer(WIDTH, HEADS, 4 * WIDTH, dropout=0.0, activation="gelu",
                                                 batch_first=True, norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, BLOCKS)
        self.norm = torch.nn.LayerNorm(WIDTH)
        self.out = torch.nn.Linear(WIDTH, STATES)

    def forward(self, x):
        n = x.shape[1]
        mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
        h = self.tokens(x) + self.positions[:n]
        return self.out(self.norm(self.blocks(h, mask=mask)))


model = Model()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
batches = 20
data = chain(64 * batches, 101)


def epoch(n):
    for b in range(n):
        w = data[b * 64:(b + 1) * 64]
        loss = loss_fn(model(w[:, :-1]).reshape(-1, STATES), w[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()


epoch(batches)  # warm-up, as many batches as timed (as NeuralBenchmark.java)
t0 = time.perf_counter()
epoch(batches)
seconds = time.perf_counter() - t0
tokens = 64.0 * batches * 100
print(f"RESULT\ttorch-train-tokens\tgpt\t{threads}\t{seconds / tokens:.4g}\t{tokens / seconds:.1f}")

model.eval()


def decode(x, p0, keys, values):
    """Frames x (B x L) at positions p0..p0+L-1 over the cached keys and values of positions < p0 (written in place);
    returns the logits of the last frame."""
    B, L = x.shape
    dh = WIDTH // HEADS
    h = model.tokens(x) + model.positions[p0:p0 + L]
    mask = None
    if L > 1:
        mask = torch.triu(torch.full((L, p0 + L), float("-inf")), diagonal=p0 + 1)
    for i, layer in enumerate(model.blocks.layers):
        a = layer.norm1(h)
        q, k, v = torch.nn.functional.linear(a, layer.self_attn.in_proj_weight, layer.self_attn.in_proj_bias) \
            .view(B, L, 3, HEADS, dh).permute(2, 0, 3, 1, 4)
        keys[i][:, :, p0:p0 + L] = k
        values[i][:, :, p0:p0 + L] = v
        s = q @ keys[i][:, :, :p0 + L].transpose(-1, -2) / dh ** 0.5
        if mask is not None:
            s = s + mask
        att = torch.softmax(s, dim=-1) @ values[i][:, :, :p0 + L]
        h = h + layer.self_attn.out_proj(att.transpose(1, 2).reshape(B, L, WIDTH))
        h = h + layer.linear2(torch.nn.functional.gelu(layer.linear1(layer.norm2(h))))
    return model.out(model.norm(h[:, -1]))


def window(fed):
    if fed <= CONTEXT:
        return fed
    half = CONTEXT // 2
    return half + 1 + (fed - CONTEXT - 1) % (CONTEXT - half)


with torch.no_grad():
    # the cached decoder against the full forward pass, at a jump back and after it
    x = torch.randint(0, STATES, (3, 160))
    keys = [torch.zeros(3, HEADS, CONTEXT, WIDTH // HEADS) for _ in range(BLOCKS)]
    values = [torch.zeros(3, HEADS, CONTEXT, WIDTH // HEADS) for _ in range(BLOCKS)]
    length = 0
    for fed in range(1, 161):
        l = window(fed)
        logits = decode(x[:, fed - 1:fed], length, keys, values) if l == length + 1 \
            else decode(x[:, fed - l:fed], 0, keys, values)
        length = l
        if fed in (50, 100, 101, 130, 160):
            full = model(x[:, fed - l:fed])[:, -1]
            assert torch.allclose(logits, full, atol=1e-4), (fed, (logits - full).abs().max())

    for parallel in (1, 100):
        length = 1000 if parallel == 1 else 200

        def generate(steps):
            x = torch.arange(parallel).remainder(STATES).unsqueeze(1)
            for _ in range(steps - 1):
                logits = model(x[:, -CONTEXT:])
                x = torch.cat([x, torch.multinomial(torch.softmax(logits[:, -1], dim=-1), 1)], dim=1)

        def generate_cached(steps):
            x = torch.arange(parallel).remainder(STATES).unsqueeze(1)
            keys = [torch.zeros(parallel, HEADS, CONTEXT, WIDTH // HEADS) for _ in range(BLOCKS)]
            values = [torch.zeros(parallel, HEADS, CONTEXT, WIDTH // HEADS) for _ in range(BLOCKS)]
            held = 0
            for fed in range(1, steps):
                l = window(fed)
                logits = decode(x[:, -1:], held, keys, values) if l == held + 1 \
                    else decode(x[:, fed - l:fed], 0, keys, values)
                held = l
                x = torch.cat([x, torch.multinomial(torch.softmax(logits, dim=-1), 1)], dim=1)

        for name, gen, n in (("torch-generate", generate, length), ("torch-cached-generate", generate_cached,
                                                                    length if parallel == 1 else 2000)):
            gen(n)  # warm-up
            t0 = time.perf_counter()
            gen(n)
            seconds = time.perf_counter() - t0
            tokens = parallel * (n - 1.0)
            print(f"RESULT\t{name}-{parallel}\tgpt\t{threads}\t{seconds / tokens:.4g}\t{tokens / seconds:.1f}")
sys.stdout.flush()
