package org.byol4j.cli;

/** Cells of the CSV files the commands write (RFC 4180 quoting). */
final class CsvCells {

    private CsvCells() {}

    /**
     * @param s a cell's text
     * @return it as a CSV cell: quoted, with quotes doubled, when it holds a comma, a quote or a line break
     */
    static String quoted(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
