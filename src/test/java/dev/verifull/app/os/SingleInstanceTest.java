package dev.verifull.app.os;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleInstanceTest {
    @TempDir Path dir;

    @Test
    void aSecondLaunchTellsTheFirstToShowItsWindow() throws Exception {
        SingleInstance first = SingleInstance.claim(dir);
        assertNotNull(first);
        CountDownLatch shown = new CountDownLatch(1);
        first.onShow(shown::countDown);
        assertNull(SingleInstance.claim(dir), "the second launch hands over");
        assertTrue(shown.await(5, TimeUnit.SECONDS));
        first.close();
        SingleInstance again = SingleInstance.claim(dir);
        assertNotNull(again, "after the first quits, a launch runs again");
        again.close();
    }
}
