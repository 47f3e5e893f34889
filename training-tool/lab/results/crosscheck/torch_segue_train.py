"""PyTorch mirror of the Java SegueTrainer (engine/.../train/SegueTrainer.java), used on a GPU host only to
explore training recipes quickly before spending CPU hours on the Java trainer. Not part of the product.
Each config trains a generator on WebFace10 at --size, protects the training set at full resolution the
way the Java engine does, and reports attacker accuracy (torch_crosscheck.attacker_accuracy)."""
import argparse, json, math, os, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from torch_crosscheck import Generator, code_of, load_folder, protect, attacker_accuracy


def blur3(x, sigma):
    side = math.exp(-1 / (2 * sigma * sigma)); k1 = torch.tensor([side, 1, side]) / (1 + 2 * side)
    k = (k1[:, None] * k1[None, :]).to(x)[None, None].repeat(3, 1, 1, 1)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode='reflect'), k, groups=3)


def sharpness(x, f):
    k = torch.tensor([[1., 1, 1], [1, 5, 1], [1, 1, 1]], device=x.device)[None, None].repeat(3, 1, 1, 1) / 13
    inner = F.conv2d(x, k, groups=3)
    diff = F.pad((x[:, :, 1:-1, 1:-1] - inner) * (f - 1), (1, 1, 1, 1))
    return (x + diff).clamp(0, 1)


QUALITY_LUMA = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
                14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
                18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
                49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
QUALITY_CHROMA = [17, 18, 24, 47] + [99] * 4 + [18, 21, 26, 66] + [99] * 4 + [24, 26, 56] + [99] * 5 \
    + [47, 66] + [99] * 6 + [99] * 32


def quant_table(base, q):
    scale = 5000 // q if q < 50 else 200 - 2 * q
    return torch.tensor([max(1, min(255, (b * scale + 50) // 100)) for b in base], dtype=torch.float32).view(8, 8)


def dct_matrix():
    d = torch.zeros(8, 8)
    for k in range(8):
        c = math.sqrt(1 / 8) if k == 0 else math.sqrt(2 / 8)
        for n in range(8):
            d[k, n] = c * math.cos((2 * n + 1) * k * math.pi / 16)
    return d


def diff_jpeg(rgb, q):
    """DifferentiableJpeg.java: YCbCr, 4:2:0, 8x8 DCT, IJG tables, round(v) + (v - round(v))^3."""
    h, w = rgb.shape[-2:]
    ph, pw = (16 - h % 16) % 16, (16 - w % 16) % 16
    x = F.pad(rgb * 255, (0, pw, 0, ph), mode='replicate') if ph or pw else rgb * 255
    r, g, b = x[:, 0:1], x[:, 1:2], x[:, 2:3]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 0.5 * r - 0.418688 * g - 0.081312 * b
    d = dct_matrix().to(x)

    def codec(p, t):
        n, _, H, W = p.shape
        blocks = p.reshape(n, H // 8, 8, W // 8, 8).transpose(2, 3)
        s = d @ blocks @ d.T / t
        rd = s.round(); s = rd + (s - rd) ** 3
        return (d.T @ (s * t) @ d).transpose(2, 3).reshape(n, 1, H, W)
    tl, tc = quant_table(QUALITY_LUMA, q).to(x), quant_table(QUALITY_CHROMA, q).to(x)
    down = lambda p: F.avg_pool2d(p, 2)
    up = lambda p: p.repeat_interleave(2, 2).repeat_interleave(2, 3)
    y = codec(y - 128, tl) + 128
    cb, cr = up(codec(down(cb), tc)), up(codec(down(cr), tc))
    out = torch.cat([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb], 1) / 255
    return out[:, :, :h, :w].clamp(0, 1)


def random_resized_crop(x, min_area, g):
    n, _, h, w = x.shape
    out = []
    for i in range(n):
        area = min_area + torch.rand(1, generator=g).item() * (1 - min_area)
        aspect = 0.9 + torch.rand(1, generator=g).item() * 0.2
        ch = min(h, max(1, round(h * math.sqrt(area / aspect)))); cw = min(w, max(1, round(w * math.sqrt(area * aspect))))
        y0 = int(torch.rand(1, generator=g).item() * (h - ch + 1)); x0 = int(torch.rand(1, generator=g).item() * (w - cw + 1))
        c = x[i:i + 1, :, y0:y0 + ch, x0:x0 + cw]
        out.append(c if (ch, cw) == (h, w) else F.interpolate(c, size=(h, w), mode='bilinear', align_corners=False))
    return torch.cat(out).clamp(0, 1)


def colour_jitter(x, strength, g):
    n = x.shape[0]
    b = (1 + (2 * torch.rand(n, generator=g) - 1) * strength).to(x).view(n, 1, 1, 1)
    c = (1 + (2 * torch.rand(n, generator=g) - 1) * strength).to(x).view(n, 1, 1, 1)
    x = (x * b).clamp(0, 1)
    m = x.flatten(1).mean(1).view(n, 1, 1, 1)
    return ((x - m) * c + m).clamp(0, 1)


def distort(x, cfg, g):
    """DistortionLayer.apply, in its order."""
    x = blur3(x, 0.2); x = sharpness(x, 2.0)
    for axis in (3, 2):
        m = (torch.rand(x.shape[0], 1, 1, 1, generator=g) < 0.1).float().to(x)
        x = x.flip(axis) * m + x * (1 - m)
    if cfg['crop_p'] > 0 and torch.rand(1, generator=g).item() < cfg['crop_p']:
        x = random_resized_crop(x, cfg['crop_min'], g)
    if cfg['jitter'] > 0:
        x = colour_jitter(x, cfg['jitter'], g)
    if cfg['rescale_p'] > 0 and torch.rand(1, generator=g).item() < cfg['rescale_p']:
        f = 1 + torch.rand(1, generator=g).item() * (cfg['rescale_max'] - 1)
        h = x.shape[-1]; s = max(1, round(h / f))
        if s != h:
            x = F.interpolate(F.interpolate(x, size=(s, s), mode='area'), size=(h, h), mode='bilinear', align_corners=False).clamp(0, 1)
    if cfg['jpeg_p'] > 0 and torch.rand(1, generator=g).item() < cfg['jpeg_p']:
        qmin, qmax = cfg['jpeg_q']
        x = diff_jpeg(x, qmin + int(torch.randint(qmax - qmin + 1, (1,), generator=g)))
    return x


def init_generator(seed):
    torch.manual_seed(seed)
    g = Generator()
    for m in g.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return g


# The recipe of run 7, the shipped default (docs/model-card.md); a config overrides any of these.
RUN7 = {'size': 112, 'epochs': 30, 'every': 5, 'pgd': 1, 'g_lr': 5e-4, 'l2': 1e-3, 'seed': 0, 'scale': 2,
        'crop_p': 0.5, 'crop_min': 0.8, 'jitter': 0.1, 'rescale_p': 0.8, 'rescale_max': 4.0, 'jpeg_p': 0.5,
        'jpeg_q': [50, 95], 'codes': 'name', 'early_stop': 0.01, 'rho': 1, 'groups': 0}


def train(cfg, x, y, classes, dev, codes):
    """SegueTrainer.train: surrogate epochs every cfg['every'], generator epochs with PGD, distortions."""
    cfg = {**RUN7, **cfg}
    G = init_generator(cfg['seed']).to(dev)
    torch.manual_seed(cfg['seed'])
    S = torchvision.models.resnet18(num_classes=classes).to(dev)
    og = torch.optim.Adam(G.parameters(), cfg['g_lr']); os_ = torch.optim.Adam(S.parameters(), 5e-4)
    E, every, eps, rho, steps = cfg['epochs'], cfg['every'], 8 / 255, cfg['rho'] / 255, cfg['pgd']
    size, gsize = x.shape[-1], x.shape[-1] // cfg['scale']
    s_epochs = (E + every - 1) // every
    rng = torch.Generator().manual_seed(cfg['seed'])
    x, y, codes = x.to(dev), y.to(dev), codes.to(dev)

    def perturbation(xin, c):
        small = F.interpolate(xin, size=(gsize, gsize), mode='area') if gsize != size else xin
        raw = G(small, c)
        d = raw.clamp(-eps, eps)
        if gsize != size:
            d = F.interpolate(d, size=(size, size), mode='bilinear', align_corners=False)
        return raw, d
    hist = []
    s_done = 0
    for epoch in range(1, E + 1):
        if epoch % every == 1 % every:
            for pg in os_.param_groups:
                pg['lr'] = 5e-4 * 0.5 * (1 + math.cos(math.pi * s_done / s_epochs))
            s_done += 1
            S.train(); [p.requires_grad_(True) for p in S.parameters()]
            perm = torch.randperm(len(x), generator=rng).to(dev)
            for i in range(0, len(x), 16):
                idx = perm[i:i + 16]
                with torch.no_grad():
                    xp = (x[idx] + perturbation(x[idx], codes[idx])[1]).clamp(0, 1)
                loss = F.cross_entropy(S(xp), y[idx]); os_.zero_grad(); loss.backward(); os_.step()
        for pg in og.param_groups:
            pg['lr'] = cfg['g_lr'] * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / E))
        [p.requires_grad_(False) for p in S.parameters()]
        perm = torch.randperm(len(x), generator=rng).to(dev)
        ces = []
        for i in range(0, len(x), 16):
            idx = perm[i:i + 16]; xb, yb = x[idx], y[idx]
            adv = torch.zeros_like(xb)
            for _ in range(steps):
                adv.requires_grad_(True)
                l = F.cross_entropy(S((xb + adv).clamp(0, 1)), yb)
                gr, = torch.autograd.grad(l, adv)
                adv = (adv.detach() + gr.sign() * rho / steps).clamp(-rho, rho)
            raw, d = perturbation((xb + adv).clamp(0, 1), codes[idx])
            xp = (xb + d).clamp(0, 1)
            ce = F.cross_entropy(S(distort(xp, cfg, rng)), yb)
            loss = ce + cfg['l2'] * raw.flatten(1).norm(dim=1).mean()
            og.zero_grad(); loss.backward(); og.step(); ces.append(ce.item())
        hist.append(sum(ces) / len(ces))
        if ces[-1] < cfg['early_stop']:
            break
    return G.eval(), hist, gsize
