; Message sends: [receiver first:arg second:arg]; the method is the first selector part, the arguments are read
; from the whole send (the other selector parts are their labels).
(message_expression
  receiver: (_) @receiver
  .
  method: (identifier) @method) @call @args

; C function calls (declared wrappers).
(call_expression
  function: (identifier) @method
  arguments: (argument_list) @args) @call

; Property assignments (AppboyKit's ABKUser): user.email = @"x" is looked up as the setter `email=`.
(assignment_expression
  left: (field_expression
    argument: (_) @receiver
    field: (field_identifier) @method)
  right: (_) @value) @call
