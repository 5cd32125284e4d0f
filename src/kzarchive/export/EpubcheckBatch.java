// Validate many EPUB files in one JVM through EPUBCheck's Java API, so a batch (or a whole test session)
// pays the JVM start and EPUBCheck's schema loading once instead of once per file: EPUBCheck's command
// line takes one file per run. Started with Java's single-file source launcher:
//   java -cp epubcheck.jar EpubcheckBatch.java
// It reads requests from standard input, one a line: "BOOK.epub<TAB>REPORT.json". For each it writes
// REPORT.json, the JSON report `epubcheck BOOK.epub --json REPORT.json` writes (same reporting level and
// locale as the command line's defaults), then answers one line on standard output: "ok", or
// "failed<TAB>reason" when EPUBCheck could not process the book (then no report is written). It ends at
// the end of its input.

import com.adobe.epubcheck.api.EPUBProfile;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import com.adobe.epubcheck.util.ReportingLevel;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

public class EpubcheckBatch {
    public static void main(String[] args) throws IOException {
        // the answers own standard output; anything a library prints goes to standard error instead
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            String[] fields = line.split("\t", 2);
            if (fields.length != 2) {
                answers.println("failed\tnot a request: " + line);
                continue;
            }
            try {
                check(new File(fields[0]), new File(fields[1]));
                answers.println("ok");
            } catch (Exception | LinkageError e) {
                answers.println("failed\t" + String.valueOf(e).replace('\n', ' '));
            }
        }
    }

    static void check(File book, File report) throws IOException {
        File partial = new File(report.getPath() + ".part");
        try (PrintWriter out = new PrintWriter(partial, StandardCharsets.UTF_8)) {
            CheckingReport checking = new CheckingReport(out, book.getPath());
            checking.setReportingLevel(ReportingLevel.Info);  // the command line's default
            checking.setLocale(Locale.getDefault());
            checking.initialize();
            new EpubCheck(book, checking, EPUBProfile.DEFAULT).doValidate();
            checking.generate();
        }
        // a report appears whole or not at all
        if (!partial.renameTo(report)) {
            throw new IOException("cannot rename " + partial + " to " + report);
        }
    }
}
