package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.verifull.tls.TlsProvider;

class EngineLimitsTest {
    @Test
    void theProviderNamesAreTheOnesTlsProviderParses() {
        List<String> names = new ArrayList<>(List.of(TlsProvider.AUTO));
        for (TlsProvider p : TlsProvider.values()) names.add(p.id());
        assertEquals(String.join("|", names), EngineLimits.TLS_PROVIDERS);
        assertEquals("auto, jdk, bc or openssl", EngineLimits.tlsProviderChoices());
    }

    @Test
    void theRanges() {
        assertEquals(List.of(false, true, true, false), List.of(EngineLimits.validWarmUpstreams(-1), EngineLimits.validWarmUpstreams(0),
                EngineLimits.validWarmUpstreams(8), EngineLimits.validWarmUpstreams(9)));
        assertEquals(List.of(false, true, true, false), List.of(EngineLimits.validBusyPoll(-1), EngineLimits.validBusyPoll(0),
                EngineLimits.validBusyPoll(1000), EngineLimits.validBusyPoll(1001)));
        assertEquals(List.of(false, true), List.of(EngineLimits.validMaxSessions(0), EngineLimits.validMaxSessions(1)));
        assertEquals(List.of(false, true), List.of(EngineLimits.validTimeout(0), EngineLimits.validTimeout(1)));
    }
}
