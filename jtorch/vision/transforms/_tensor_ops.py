"""Image kernels on tensors ([..., C, H, W]), computed as torchvision 0.28 computes them
(same dtype round trips, same rounding), so results are equal element for element."""
import math

import jtorch as torch
from jtorch.nn.functional import grid_sample, interpolate, pad as _nn_pad

_INT_MAX = {torch.uint8: 255, torch.int8: 127, torch.int16: 32767, torch.uint16: 65535,
            torch.int32: 2147483647, torch.int64: 9223372036854775807}


def div_scalar(x, value):
    """x / value, correctly rounded. XLA on CPU divides by a broadcast operand (a Python
    scalar included) as a multiplication by its reciprocal, 1 ulp off torch on about half of
    the values; a full-shape divisor keeps the true quotient."""
    return x / torch.full_like(x, value)


def max_value(dtype):
    # floats are taken to be in [0, 1]
    return _INT_MAX.get(dtype, 1)


def check_image(img):
    if not img.ndim >= 2:
        raise TypeError("Tensor is not a torch image.")


def dimensions(img):
    check_image(img)
    c = 1 if img.ndim == 2 else img.shape[-3]
    return [c, img.shape[-2], img.shape[-1]]


def check_channels(img, permitted):
    c = dimensions(img)[0]
    if c not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but found {c}")


def convert_image_dtype(image, dtype=torch.float32):
    if image.dtype == dtype:
        return image
    to_float = dtype.is_floating_point
    if image.is_floating_point():
        if to_float:
            return image.to(dtype)
        if (image.dtype == torch.float32 and dtype in (torch.int32, torch.int64)) or (
                image.dtype == torch.float64 and dtype == torch.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed safely.")
        # scale by max + 1 - eps so that the top value bin is as wide as the others
        return image.mul(float(max_value(dtype)) + 1.0 - 1e-3).to(dtype)
    in_max = float(max_value(image.dtype))
    if to_float:
        return div_scalar(image.to(dtype), in_max)
    out_max = float(max_value(dtype))
    if in_max > out_max:
        return torch.div(image, int((in_max + 1) // (out_max + 1)), rounding_mode="floor").to(dtype)
    return image.to(dtype) * int((out_max + 1) // (in_max + 1))


def hflip(img):
    check_image(img)
    return img.flip(-1)


def vflip(img):
    check_image(img)
    return img.flip(-2)


def crop(img, top, left, height, width):
    _, h, w = dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        # out-of-image parts of the box are zero padding
        ltrb = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], ltrb, fill=0)
    return img[..., top:bottom, left:right]


def rgb_to_grayscale(img, num_output_channels=1):
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    check_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(dim=-3)
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)
    else:
        gray = img.clone()
    return gray.expand(img.shape) if num_output_channels == 3 else gray


def blend(img1, img2, ratio):
    ratio = float(ratio)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, max_value(img1.dtype)).to(img1.dtype)


def adjust_brightness(img, factor):
    if factor < 0:
        raise ValueError(f"brightness_factor ({factor}) is not non-negative.")
    check_image(img)
    check_channels(img, [1, 3])
    return blend(img, torch.zeros_like(img), factor)


def adjust_contrast(img, factor):
    if factor < 0:
        raise ValueError(f"contrast_factor ({factor}) is not non-negative.")
    check_image(img)
    check_channels(img, [3, 1])
    dtype = img.dtype if img.is_floating_point() else torch.float32
    gray = rgb_to_grayscale(img) if dimensions(img)[0] == 3 else img
    mean = torch.mean(gray.to(dtype), dim=(-3, -2, -1), keepdim=True)
    return blend(img, mean, factor)


def adjust_saturation(img, factor):
    if factor < 0:
        raise ValueError(f"saturation_factor ({factor}) is not non-negative.")
    check_image(img)
    check_channels(img, [1, 3])
    if dimensions(img)[0] == 1:
        return img
    return blend(img, rgb_to_grayscale(img), factor)


def adjust_hue(img, factor):
    if not (-0.5 <= factor <= 0.5):
        raise ValueError(f"hue_factor ({factor}) is not in [-0.5, 0.5].")
    check_image(img)
    check_channels(img, [1, 3])
    if dimensions(img)[0] == 1:
        return img
    dtype = img.dtype
    h, s, v = _rgb_to_hsv(convert_image_dtype(img, torch.float32)).unbind(dim=-3)
    h = (h + factor) % 1.0
    return convert_image_dtype(_hsv_to_rgb(torch.stack((h, s, v), dim=-3)), dtype)


def adjust_gamma(img, gamma, gain=1):
    check_channels(img, [1, 3])
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    dtype = img.dtype
    out = img if img.is_floating_point() else convert_image_dtype(img, torch.float32)
    return convert_image_dtype((gain * out.pow(gamma)).clamp(0, 1), dtype)


def _rgb_to_hsv(img):
    r, g, b = img.unbind(dim=-3)
    maxc = torch.max(img, dim=-3).values
    minc = torch.min(img, dim=-3).values
    same = maxc == minc  # grey pixels: hue and saturation are 0; avoid dividing by 0
    spread = maxc - minc
    ones = torch.ones_like(maxc)
    s = spread / torch.where(same, ones, maxc)
    div = torch.where(same, ones, spread)
    rc, gc, bc = (maxc - r) / div, (maxc - g) / div, (maxc - b) / div
    h = ((maxc == r) * (bc - gc) + ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
         + ((maxc != g) & (maxc != r)) * (4.0 + gc - rc))
    h = torch.fmod(div_scalar(h, 6.0) + 1.0, 1.0)
    return torch.stack((h, s, maxc), dim=-3)


def _hsv_to_rgb(img):
    h, s, v = img.unbind(dim=-3)
    i = torch.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.to(dtype=torch.int32) % 6
    p = torch.clamp(v * (1.0 - s), 0.0, 1.0)
    q = torch.clamp(v * (1.0 - s * f), 0.0, 1.0)
    t = torch.clamp(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    mask = i.unsqueeze(dim=-3) == torch.arange(6).view(-1, 1, 1)
    table = torch.stack((torch.stack((v, q, p, p, t, v), dim=-3),
                         torch.stack((t, v, v, q, p, p), dim=-3),
                         torch.stack((p, p, t, v, v, q), dim=-3)), dim=-4)
    return torch.einsum("...ijk, ...xijk -> ...xjk", mask.to(dtype=img.dtype), table)


def parse_padding(padding):
    """[left, right, top, bottom] from an int or a 1, 2 or 4 element list."""
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return [padding[0], padding[2], padding[1], padding[3]]


def _pad_symmetric(img, p):
    if min(p) < 0:
        cl, cr, ct, cb = [-min(x, 0) for x in p]
        img = img[..., ct:img.shape[-2] - cb, cl:img.shape[-1] - cr]
        p = [max(x, 0) for x in p]
    xs = list(range(p[0] - 1, -1, -1)) + list(range(img.shape[-1])) + [-(i + 1) for i in range(p[1])]
    ys = list(range(p[2] - 1, -1, -1)) + list(range(img.shape[-2])) + [-(i + 1) for i in range(p[3])]
    xs, ys = torch.tensor(xs), torch.tensor(ys)
    if img.ndim == 3:
        return img[:, ys[:, None], xs[None, :]]
    if img.ndim == 4:
        return img[:, :, ys[:, None], xs[None, :]]
    raise RuntimeError("Symmetric padding of N-D tensors are not supported yet")


def pad(img, padding, fill=0, padding_mode="constant"):
    check_image(img)
    fill = 0 if fill is None else fill
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (int, float)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    p = parse_padding(list(padding) if isinstance(padding, tuple) else padding)
    if padding_mode == "symmetric":
        return _pad_symmetric(img, p)
    mode = "replicate" if padding_mode == "edge" else padding_mode
    squeeze = img.ndim < 4
    if squeeze:
        img = img.unsqueeze(dim=0)
    out_dtype = img.dtype
    # reflect/replicate work on floats only, so integer images round trip through float32
    cast = mode != "constant" and out_dtype not in (torch.float32, torch.float64)
    if cast:
        img = img.to(torch.float32)
    img = _nn_pad(img, p, mode=mode) if mode != "constant" else _nn_pad(img, p, mode=mode, value=float(fill))
    if squeeze:
        img = img.squeeze(dim=0)
    return img.to(out_dtype) if cast else img


def _cast_squeeze_in(img, dtypes):
    squeeze = img.ndim < 4
    if squeeze:
        img = img.unsqueeze(dim=0)
    out_dtype = img.dtype
    cast = out_dtype not in dtypes
    if cast:
        img = img.to(dtypes[0])
    return img, cast, squeeze, out_dtype


def _cast_squeeze_out(img, cast, squeeze, out_dtype):
    if squeeze:
        img = img.squeeze(dim=0)
    if cast:
        if out_dtype in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
            img = torch.round(img)
        img = img.to(out_dtype)
    return img


def resize(img, size, interpolation="bilinear", antialias=True):
    check_image(img)
    antialias = bool(antialias) and interpolation in ("bilinear", "bicubic")
    img, cast, squeeze, out_dtype = _cast_squeeze_in(img, [torch.float32, torch.float64])
    align = False if interpolation in ("bilinear", "bicubic") else None
    img = interpolate(img, size=list(size), mode=interpolation, align_corners=align, antialias=antialias)
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        img = img.clamp(min=0, max=255)
    return _cast_squeeze_out(img, cast, squeeze, out_dtype)


def _check_grid_inputs(img, interpolation, fill):
    check_image(img)
    c = dimensions(img)[0]
    if isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != c:
        raise ValueError("The number of elements in 'fill' cannot broadcast to match the number of "
                         f"channels of the image ({len(fill)} != {c})")
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")


def _affine_grid(theta, w, h, ow, oh):
    # pixel-centre coordinates of the output, mapped by theta, normalised by the input size
    base = torch.empty(1, oh, ow, 3, dtype=theta.dtype)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, steps=oh).unsqueeze_(-1))
    base[..., 2].fill_(1)
    rows = theta.transpose(1, 2)
    # divide by a full-shape operand: XLA rewrites division by a broadcast operand into a
    # multiplication by its reciprocal, 1 ulp off torch's quotient
    scaled = rows / torch.tensor([0.5 * w, 0.5 * h], dtype=theta.dtype).expand_as(rows)
    return base.view(1, oh * ow, 3).bmm(scaled).view(1, oh, ow, 2)


def _grid_transform(img, grid, mode, fill):
    img, cast, squeeze, out_dtype = _cast_squeeze_in(img, [grid.dtype])
    if img.shape[0] > 1:
        grid = grid.expand(img.shape[0], grid.shape[1], grid.shape[2], grid.shape[3])
    if fill is not None:
        # an extra all-ones channel tells, after sampling, how much of each pixel was inside
        ones = torch.ones((img.shape[0], 1, img.shape[2], img.shape[3]), dtype=img.dtype)
        img = torch.cat((img, ones), dim=1)
    img = grid_sample(img, grid, mode=mode, padding_mode="zeros", align_corners=False)
    if fill is not None:
        mask, img = img[:, -1:, :, :].expand_as(img[:, :-1]), img[:, :-1, :, :]
        vals = list(fill) if isinstance(fill, (tuple, list)) else [float(fill)]
        fill_img = torch.tensor(vals, dtype=img.dtype).view(1, len(vals), 1, 1).expand_as(img)
        if mode == "nearest":
            img = torch.where(mask < 0.5, fill_img, img)
        else:
            img = img * mask + (1.0 - mask) * fill_img
    return _cast_squeeze_out(img, cast, squeeze, out_dtype)


def _expanded_size(matrix, w, h):
    corners = torch.tensor([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                            [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]])
    pts = torch.matmul(corners, torch.tensor(matrix, dtype=torch.float32).view(2, 3).T)
    lo = pts.min(dim=0).values + torch.tensor((w * 0.5, h * 0.5))
    hi = pts.max(dim=0).values + torch.tensor((w * 0.5, h * 0.5))
    tol = 1e-4  # drop float noise before ceil/floor
    size = torch.ceil((hi / tol).trunc() * tol) - torch.floor((lo / tol).trunc() * tol)
    return int(size[0]), int(size[1])


def rotate(img, matrix, interpolation="nearest", expand=False, fill=None):
    _check_grid_inputs(img, interpolation, fill)
    w, h = img.shape[-1], img.shape[-2]
    ow, oh = _expanded_size(matrix, w, h) if expand else (w, h)
    dtype = img.dtype if img.is_floating_point() else torch.float32
    theta = torch.tensor(matrix, dtype=dtype).reshape(1, 2, 3)
    return _grid_transform(img, _affine_grid(theta, w, h, ow, oh), interpolation, fill)


def affine(img, matrix, interpolation="nearest", fill=None):
    _check_grid_inputs(img, interpolation, fill)
    dtype = img.dtype if img.is_floating_point() else torch.float32
    theta = torch.tensor(matrix, dtype=dtype).reshape(1, 2, 3)
    w, h = img.shape[-1], img.shape[-2]
    return _grid_transform(img, _affine_grid(theta, w, h, w, h), interpolation, fill)


def normalize(tensor, mean, std, inplace=False):
    check_image(tensor)
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    if not inplace:
        tensor = tensor.clone()
    mean = torch.as_tensor(mean, dtype=tensor.dtype)
    std = torch.as_tensor(std, dtype=tensor.dtype)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to "
                         "division by zero.")
    mean = mean.view(-1, 1, 1) if mean.ndim == 1 else mean
    std = std.view(-1, 1, 1) if std.ndim == 1 else std
    # std at the full shape: see _affine_grid on dividing by a broadcast operand
    return tensor.sub_(mean).div_(std.expand_as(tensor))


def erase(img, i, j, h, w, v, inplace=False):
    check_image(img)
    if not inplace:
        img = img.clone()
    img[..., i:i + h, j:j + w] = v
    return img


def inverse_affine_matrix(center, angle, translate, scale, shear):
    """The output-to-input pixel map of rotate/affine, as a flat 2x3 matrix."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m
