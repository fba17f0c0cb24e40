package dev.pipewright.config;

import java.math.BigDecimal;
import java.util.Optional;

/** A tenant's spending limits in USD. */
public record Budget(Optional<BigDecimal> dailyUsd, Optional<BigDecimal> monthlyUsd) {}
