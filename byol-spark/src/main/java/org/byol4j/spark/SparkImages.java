package org.byol4j.spark;

import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.byol4j.data.ImageDataException;
import org.byol4j.data.ImageDecoder;
import org.byol4j.data.PixelImage;

/**
 * The two image columns Spark users have, turned into byol4j's {@link PixelImage}: a struct of Spark's {@code image}
 * data source ({@link ImageSchema}: origin, height, width, nChannels, mode, data as BGR(A) bytes, row-major), and the
 * encoded bytes of the {@code binaryFile} data source's {@code content}, decoded as byol4j decodes files.
 */
public final class SparkImages {

    /** What a column holds. */
    public enum Kind {
        /** A struct of Spark's {@code image} data source. */
        IMAGE_STRUCT,
        /** Encoded image bytes (JPEG, PNG, BMP, GIF), such as {@code binaryFile}'s {@code content}. */
        ENCODED_BYTES
    }

    private SparkImages() {}

    /**
     * @param column the input column's name, for the message
     * @param type its type
     * @return what it holds
     * @throws IllegalArgumentException naming the column and the two types accepted
     */
    public static Kind kindOf(String column, DataType type) {
        if (type.equals(DataTypes.BinaryType)) {
            return Kind.ENCODED_BYTES;
        }
        if (type instanceof StructType s && s.sameType(ImageSchema.columnSchema())) {
            return Kind.IMAGE_STRUCT;
        }
        throw new IllegalArgumentException("input column " + column + " must be a struct of Spark's image data source ("
                + ImageSchema.columnSchema().simpleString() + ") or binary image bytes (binaryFile's content), got "
                + type.simpleString());
    }

    /**
     * @param image a struct of the {@code image} data source
     * @return its pixels in [0, 1], channels first, RGB order (alpha dropped)
     * @throws ImageDataException naming the image's origin when the struct is not a decoded 8-bit image
     */
    public static PixelImage fromStruct(Row image) {
        String origin = ImageSchema.getOrigin(image);
        int h = ImageSchema.getHeight(image);
        int w = ImageSchema.getWidth(image);
        int n = ImageSchema.getNChannels(image);
        byte[] data = ImageSchema.getData(image);
        if (h < 1 || w < 1 || data == null || data.length == 0) {
            throw new ImageDataException(origin, "is not a decoded image (the image data source could not read it:"
                    + " height " + h + ", width " + w + ")", null);
        }
        if (n != 1 && n != 3 && n != 4 || data.length != (long) h * w * n) {
            throw new ImageDataException(origin, "holds " + data.length + " bytes for " + h + " x " + w + " x " + n
                    + " (expected 8-bit pixels with 1, 3 or 4 channels)", null);
        }
        int c = n == 1 ? 1 : 3;
        int plane = h * w;
        float[] out = new float[c * plane];
        for (int i = 0; i < plane; i++) {
            if (c == 1) {
                out[i] = (data[i] & 0xff) / 255f;
            } else {
                int at = i * n;
                out[i] = (data[at + 2] & 0xff) / 255f;
                out[plane + i] = (data[at + 1] & 0xff) / 255f;
                out[2 * plane + i] = (data[at] & 0xff) / 255f;
            }
        }
        return PixelImage.wrap(c, h, w, out);
    }

    /**
     * @param bytes an encoded image
     * @param origin where it came from (binaryFile's path), named in errors
     * @param channels channels to decode to
     * @return its pixels
     * @throws ImageDataException naming the origin when the bytes are not a readable image
     */
    public static PixelImage decode(byte[] bytes, String origin, int channels) {
        return new ImageDecoder(channels, ImageDecoder.DEFAULT_MAX_PIXELS).decode(bytes, origin);
    }

    /**
     * @param img a 1-channel image in [0, 1]
     * @param origin its origin
     * @return it as a struct of the {@code image} data source (8-bit, one channel)
     */
    public static Row toStruct(PixelImage img, String origin) {
        float[] px = img.pixels();
        byte[] data = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            data[i] = (byte) Math.round(px[i] * 255f);
        }
        return RowFactory.create(origin, img.height(), img.width(), 1,
                (Integer) ImageSchema.javaOcvTypes().get("CV_8UC1"), data);
    }
}
