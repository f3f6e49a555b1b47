package dev.dynconfig.jmx;

import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * An MXBean with human descriptions and real parameter names, so JConsole shows {@code flagKey}
 * rather than {@code p0}. Names and texts are keyed by attribute/operation name.
 */
final class Described<T> extends StandardMBean {
  private final String description;
  private final Map<String, String> texts;
  private final Map<String, String[]> parameters;

  Described(
      T implementation,
      Class<T> mxbeanInterface,
      String description,
      Map<String, String> texts,
      Map<String, String[]> parameters) {
    super(implementation, mxbeanInterface, true);
    this.description = description;
    this.texts = texts;
    this.parameters = parameters;
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    return description;
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return texts.getOrDefault(info.getName(), info.getName());
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    return texts.getOrDefault(info.getName(), info.getName());
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    String[] names = parameters.get(op.getName());
    return names != null && sequence < names.length ? names[sequence] : param.getName();
  }
}
