"""Independent PyTorch cross-check of the Java attacker numbers (runs on a GPU host, not part of the product).

It ports the Segue generator (same state_dict names as the Java engine's model file), protects the
WebFace10 training set the way the Java engine does (area-resize to the model size, generate, bilinear
back, add, clip, round to 8 bit), and trains torchvision ResNet18 attackers from scratch (Adam 5e-4,
cosine, batch 16, no augmentation) on clean / protected sets, testing on the clean test set at several
attacker input sizes (antialiased resize). Usage:

  python3 torch_crosscheck.py --data webface10 --model ours.segue --official official.npz \
      --java-samples java_png_dir --out results.json
"""
import argparse, io, json, os, struct, time, zipfile, glob
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from PIL import Image


def read_segue(path):
    b = open(path, 'rb').read()
    assert b[:8] == b'SEGUEMDL', 'not a Segue model'
    ver, hlen = struct.unpack('>ii', b[8:16])
    header = b[16:16 + hlen].decode('utf-8')
    p = 16 + hlen
    (count,) = struct.unpack('>i', b[p:p + 4]); p += 4
    tensors = {}
    for _ in range(count):
        (nlen,) = struct.unpack('>H', b[p:p + 2]); p += 2
        name = b[p:p + nlen].decode('utf-8'); p += nlen
        (rank,) = struct.unpack('>i', b[p:p + 4]); p += 4
        shape = struct.unpack('>' + 'q' * rank, b[p:p + 8 * rank]); p += 8 * rank
        n = int(np.prod(shape)) if rank else 1
        tensors[name] = np.frombuffer(b[p:p + 4 * n], dtype='<f4').reshape(shape).copy(); p += 4 * n
    props = dict(l.split('=', 1) for l in header.splitlines() if '=' in l and not l.startswith('#'))
    return tensors, props


class ResBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_block = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(32, 32, 3, bias=False), nn.BatchNorm2d(32),
                                        nn.ReLU(True), nn.ReflectionPad2d(1), nn.Conv2d(32, 32, 3, bias=False),
                                        nn.BatchNorm2d(32))

    def forward(self, x):
        return x + self.conv_block(x)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 8, 3), nn.InstanceNorm2d(8), nn.ReLU(True),
                                     nn.Conv2d(8, 16, 3, 2), nn.InstanceNorm2d(16), nn.ReLU(True),
                                     nn.Conv2d(16, 32, 3, 2), nn.InstanceNorm2d(32), nn.ReLU(True))
        self.Csqueeze = nn.Sequential(nn.Conv2d(48, 32, 3, 1, 1), nn.InstanceNorm2d(32), nn.ReLU(True))
        self.bottle_neck = nn.Sequential(*[ResBlock() for _ in range(4)])
        self.decoder = nn.Sequential(nn.ConvTranspose2d(32, 16, 3, 2, bias=False), nn.InstanceNorm2d(16), nn.ReLU(True),
                                     nn.ConvTranspose2d(16, 8, 3, 2, bias=False), nn.InstanceNorm2d(8), nn.ReLU(True),
                                     nn.ConvTranspose2d(8, 3, 6, 1, bias=False), nn.Tanh())

    def forward(self, x, code):
        h = self.encoder(x)
        side = code[:, :, None, None].expand(-1, -1, h.shape[2], h.shape[3])
        h = self.Csqueeze(torch.cat([h, side], 1))
        return self.decoder(self.bottle_neck(h))


def load_generator(tensors):
    g = Generator()
    sd = {k: torch.from_numpy(v) for k, v in tensors.items() if not k.endswith('num_batches_tracked')}
    missing, unexpected = g.load_state_dict(sd, strict=False)
    assert not unexpected and all(k.endswith('num_batches_tracked') for k in missing), (missing, unexpected)
    return g.eval()


def code_of(labels, bits=16):
    return torch.stack([(labels >> (bits - 1 - i)) & 1 for i in range(bits)], 1).float()


def load_folder(root):
    classes = sorted(os.listdir(root), key=lambda s: (len(s), s) if s.isdigit() else (0, s))
    xs, ys, names = [], [], []
    for i, c in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(root, c))):
            xs.append(np.asarray(Image.open(os.path.join(root, c, f)).convert('RGB')))
            ys.append(i); names.append(os.path.join(c, f))
    return torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).float() / 255, torch.tensor(ys), names


@torch.no_grad()
def protect(g, x, y, size, eps=8 / 255, dev='cuda'):
    out = []
    for i in range(0, len(x), 128):
        xb = x[i:i + 128].to(dev); yb = y[i:i + 128].to(dev)
        small = F.interpolate(xb, size=(size, size), mode='area') if xb.shape[-1] != size else xb
        d = g(small, code_of(yb)).clamp(-eps, eps)
        if d.shape[-1] != xb.shape[-1]:
            d = F.interpolate(d, size=xb.shape[-2:], mode='bilinear', align_corners=False)
        out.append(((xb + d).clamp(0, 1) * 255).round().cpu() / 255)
    return torch.cat(out)


def record_quality(result, name, protected, clean):
    diff = protected - clean
    mse = (diff ** 2).flatten(1).mean(1)
    result['quality_' + name] = {'linf_levels': (diff * 255).abs().max().item(),
                                 'psnr_db_mean': (10 * torch.log10(1 / mse)).mean().item()}


def attacker_accuracy(xtr, ytr, xte, yte, size, epochs, seed, dev='cuda', mode='bilinear'):
    torch.manual_seed(seed)
    net = torchvision.models.resnet18(num_classes=int(ytr.max()) + 1).to(dev)
    opt = torch.optim.Adam(net.parameters(), 5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)

    def prep(x):
        x = x.to(dev)
        if x.shape[-1] != size:
            x = F.interpolate(x, size=(size, size), mode=mode, antialias=True, align_corners=False) if mode in ('bilinear', 'bicubic') \
                else F.interpolate(x, size=(size, size), mode=mode)
        return x
    xtr_p, xte_p = prep(xtr), prep(xte)
    ytr_d, yte_d = ytr.to(dev), yte.to(dev)
    g = torch.Generator(device='cpu').manual_seed(seed)
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(xtr_p), generator=g)
        for i in range(0, len(perm), 16):
            idx = perm[i:i + 16].to(dev)
            loss = F.cross_entropy(net(xtr_p[idx]), ytr_d[idx])
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
    net.eval()
    with torch.no_grad():
        return (net(xte_p).argmax(1) == yte_d).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True); ap.add_argument('--model', action='append', default=[])
    ap.add_argument('--official'); ap.add_argument('--java-samples'); ap.add_argument('--out', required=True)
    ap.add_argument('--sizes', default='224,160,112,96,64'); ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--seeds', type=int, default=1)
    a = ap.parse_args()
    dev = 'cuda'
    t0 = time.time()
    xtr, ytr, names = load_folder(os.path.join(a.data, 'train'))
    xte, yte, _ = load_folder(os.path.join(a.data, 'test'))
    sets = {'clean': xtr}
    result = {'device': torch.cuda.get_device_name(0), 'torch': torch.__version__, 'epochs': a.epochs, 'rows': []}
    for m in a.model:
        tensors, props = read_segue(m)
        g = load_generator(tensors).to(dev)
        size = int(props['input.height'])
        name = os.path.basename(m)
        sets[name] = protect(g, xtr, ytr, size)
        if a.java_samples and os.path.isdir(os.path.join(a.java_samples, name)):
            diffs = []
            for f in glob.glob(os.path.join(a.java_samples, name, '*', '*.png')):
                rel = os.path.relpath(f, os.path.join(a.java_samples, name))
                j = torch.from_numpy(np.asarray(Image.open(f).convert('RGB'))).permute(2, 0, 1).float()
                i = names.index(rel[:-4] + '.jpg') if rel[:-4] + '.jpg' in names else names.index(rel)
                diffs.append((j - sets[name][i] * 255).abs().max().item())
            result['java_vs_torch_max_level_diff_' + name] = max(diffs) if diffs else None
        record_quality(result, name, sets[name], xtr)
    if a.official:
        g = load_generator(dict(np.load(a.official))).to(dev)
        sets['official'] = protect(g, xtr, ytr, 224)
        record_quality(result, 'official', sets['official'], xtr)
    for size in [int(s) for s in a.sizes.split(',')]:
        for name, x in sets.items():
            accs = [attacker_accuracy(x, ytr, xte, yte, size, a.epochs, seed) for seed in range(a.seeds)]
            row = {'set': name, 'size': size, 'acc': float(np.mean(accs)), 'accs': accs}
            result['rows'].append(row)
            print(json.dumps(row), flush=True)
    result['seconds'] = time.time() - t0
    json.dump(result, open(a.out, 'w'), indent=1)


if __name__ == '__main__':
    main()
