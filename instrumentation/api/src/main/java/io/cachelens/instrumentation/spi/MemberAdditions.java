package io.cachelens.instrumentation.spi;

import io.cachelens.instrumentation.api.StateCarrier;
import java.util.List;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Adds the modules' state fields, and the {@link StateCarrier} interface with its two accessors,
 * while the class file streams through ASM, in front of the advice.
 */
final class MemberAdditions {
  private static final String CARRIER = Type.getInternalName(StateCarrier.class);
  private static final String OBJECT = Type.getDescriptor(Object.class);

  private final List<TypeInstrumentation.AddedField> fields;
  private final String stateCarrierField;

  MemberAdditions(List<TypeInstrumentation.AddedField> fields, String stateCarrierField) {
    this.fields = List.copyOf(fields);
    this.stateCarrierField = stateCarrierField;
  }

  /** Puts the additions in front of {@code next}. */
  ClassVisitor wrap(ClassVisitor next) {
    return new ClassVisitor(OpenedClassReader.ASM_API, next) {
      private String owner;

      @Override
      public void visit(
          int version,
          int access,
          String name,
          String signature,
          String superName,
          String[] interfaces) {
        owner = name;
        String[] implemented = interfaces;
        String implementedSignature = signature;
        if (stateCarrierField != null) {
          implemented = new String[interfaces == null ? 1 : interfaces.length + 1];
          if (interfaces != null) {
            System.arraycopy(interfaces, 0, implemented, 0, interfaces.length);
          }
          implemented[implemented.length - 1] = CARRIER;
          // A generic class lists its interfaces again in its signature, last.
          implementedSignature = signature == null ? null : signature + "L" + CARRIER + ";";
        }
        super.visit(version, access, name, implementedSignature, superName, implemented);
      }

      @Override
      public void visitEnd() {
        for (TypeInstrumentation.AddedField field : fields) {
          super.visitField(
                  field.modifiers(), field.name(), Type.getDescriptor(field.type()), null, null)
              .visitEnd();
        }
        if (stateCarrierField != null) {
          MethodVisitor get =
              super.visitMethod(
                  Opcodes.ACC_PUBLIC, "cachelens$getState", "()" + OBJECT, null, null);
          get.visitCode();
          get.visitVarInsn(Opcodes.ALOAD, 0);
          get.visitFieldInsn(Opcodes.GETFIELD, owner, stateCarrierField, OBJECT);
          get.visitInsn(Opcodes.ARETURN);
          get.visitMaxs(1, 1);
          get.visitEnd();
          MethodVisitor set =
              super.visitMethod(
                  Opcodes.ACC_PUBLIC, "cachelens$setState", "(" + OBJECT + ")V", null, null);
          set.visitCode();
          set.visitVarInsn(Opcodes.ALOAD, 0);
          set.visitVarInsn(Opcodes.ALOAD, 1);
          set.visitFieldInsn(Opcodes.PUTFIELD, owner, stateCarrierField, OBJECT);
          set.visitInsn(Opcodes.RETURN);
          set.visitMaxs(2, 2);
          set.visitEnd();
        }
        super.visitEnd();
      }
    };
  }
}
