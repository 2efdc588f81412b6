package org.coar.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void bytesHaveThreeSignificantFiguresInBinaryUnits() {
        assertEquals("512 B", Sizes.human(512));
        assertEquals("4.00 KiB", Sizes.human(4096));
        assertEquals("1.95 MiB", Sizes.human(128 + 1000 * 1024 + 128 + 1000 * 512 * 2)); // 2,048,256 / 2^20 = 1.953
        assertEquals("18.8 GiB", Sizes.human((long) (18.83 * (1L << 30))));
        assertEquals("4096 PiB", Sizes.human(Long.MAX_VALUE / 2)); // 2^62 bytes
    }

    @Test
    void durationsShowMinutesAndSecondsThenHoursAndMinutes() {
        assertEquals("0m59s", Sizes.duration(Duration.ofSeconds(59)));
        assertEquals("7m05s", Sizes.duration(Duration.ofSeconds(425)));
        assertEquals("1h00m", Sizes.duration(Duration.ofSeconds(3600)));
        assertEquals("2h13m", Sizes.duration(Duration.ofSeconds(2 * 3600 + 13 * 60 + 59)));
    }

    @Test
    void countsHaveThousandsSeparators() {
        assertEquals("64,512", Sizes.count(64_512));
    }
}
